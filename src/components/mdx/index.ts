// The components lesson authors use without importing them (docs/AUTHORING.md, "Lesson components").
import Callout from './Callout.astro';
import H5P from './H5P.astro';
import Hotline from './Hotline.astro';
import Indicators from './Indicators.astro';
import KnowledgeCheck from './KnowledgeCheck.astro';
import Objectives from './Objectives.astro';
import Reveal from './Reveal.astro';
import Scenario from './Scenario.astro';
import Sources from './Sources.astro';
import Takeaways from './Takeaways.astro';
import Term from './Term.astro';

export const lessonComponents = { Objectives, Callout, Term, Indicators, Scenario, Reveal, KnowledgeCheck, H5P, Hotline, Takeaways, Sources };
