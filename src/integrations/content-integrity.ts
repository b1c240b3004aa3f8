// An Astro integration that fails the build (and warns in dev) when content/ is inconsistent across files.
import type { AstroIntegration } from 'astro';
import { checkContentIntegrity, formatProblems } from '../server/content-integrity.ts';

export default function contentIntegrity({ contentDir = 'content' } = {}): AstroIntegration {
  return {
    name: 'capacita:content-integrity',
    hooks: {
      'astro:config:setup': ({ command, logger }) => {
        if (command === 'preview') return;
        const problems = checkContentIntegrity(contentDir);
        if (problems.length === 0) return;
        if (command === 'build') throw new Error(formatProblems(problems));
        logger.warn(formatProblems(problems));
      },
    },
  };
}
