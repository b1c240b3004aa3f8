// Node's own flags for every app process: `npm start` (scripts/start.mjs), the nodes of scripts/cluster-local.mjs and
// the benches, which measure what production runs. Workers forked by scripts/serve.mjs inherit them.
//
// Why: on a machine with plenty of memory V8 sizes its heap for speed, not for the live data. One process serving the
// lesson page held ≈ 55 MB of live objects after a full collection, yet 410–490 MB resident: a 128 MB young
// generation (64 MB semi-spaces) and an old generation let grow to ≈ 200 MB before collecting. 16 MB semi-spaces and a
// 1 GiB old-generation ceiling (far above any request's needs: the largest export and PDF stay well under it) make
// V8 collect at a size closer to what is live: ≈ 240 MB resident in the same bench, with the CPU time per lesson page
// within the run-to-run noise (docs/DEPLOYMENT.md, "Memory").
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=16', '--max-old-space-size=1024'];
