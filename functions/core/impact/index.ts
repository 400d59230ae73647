/** Impact: outcomes from diary items, the ITT report and its self-contained HTML. */
export * from './outcomes.js';
export * from './report.js';
export { impactHtml, escapeHtml, lineChart } from './html.js';
export { studyStart, studyWeekOf, studyWeeks } from '../time/study-calendar.js';
