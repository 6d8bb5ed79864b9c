/**
 * Text for a Markdown table cell or line that renders as the same text: no link, image,
 * HTML, code span or table break can come out of it. Line breaks become spaces.
 *
 * @public
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/\r\n|[\r\n]/g, ' ').replace(/[\\`|<>[\]]/g, '\\$&');
}
