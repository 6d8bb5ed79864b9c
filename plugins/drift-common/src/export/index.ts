export { csvCell, toCsv } from './csv';
export { escapeMarkdown } from './markdown';
