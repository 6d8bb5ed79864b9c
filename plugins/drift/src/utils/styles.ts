/**
 * Shrunk outlined labels sit on the page background, where the theme's secondary text colour
 * falls short of 4.5:1; the full text colour keeps them readable.
 */
export const LABEL_STYLE = { color: 'inherit' };
