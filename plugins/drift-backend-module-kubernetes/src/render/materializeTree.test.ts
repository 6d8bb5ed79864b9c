import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { withMaterializedTree } from './materializeTree';

const file = (p: string, text = 'x') => ({ path: p, content: Buffer.from(text) });

describe('withMaterializedTree', () => {
  it('writes the tree into a private folder under the temp directory and removes it afterwards', async () => {
    let seen = '';
    const result = await withMaterializedTree(
      [file('Chart.yaml', 'name: a'), file('templates/deployment.yaml', 'kind: Deployment')],
      1024,
      async tree => {
        seen = tree.base;
        expect(tree.base.startsWith(os.tmpdir())).toBe(true);
        expect((await fs.stat(tree.base)).mode & 0o777).toBe(0o700);
        expect(tree.root.startsWith(tree.base)).toBe(true);
        expect(tree.home.startsWith(tree.base)).toBe(true);
        expect(await fs.readFile(path.join(tree.root, 'templates/deployment.yaml'), 'utf8')).toBe(
          'kind: Deployment',
        );
        return 'rendered';
      },
    );
    expect(result).toBe('rendered');
    await expect(fs.stat(seen)).rejects.toThrow('ENOENT');
  });

  it('removes the folder when the render fails', async () => {
    let seen = '';
    await expect(
      withMaterializedTree([file('a.yaml')], 1024, async tree => {
        seen = tree.base;
        throw new Error('render failed');
      }),
    ).rejects.toThrow('render failed');
    await expect(fs.stat(seen)).rejects.toThrow('ENOENT');
  });

  it('refuses a tree over the size cap before writing anything', async () => {
    const fn = jest.fn();
    await expect(
      withMaterializedTree([file('a.yaml', 'x'.repeat(600)), file('b.yaml', 'y'.repeat(600))], 1000, fn),
    ).rejects.toThrow('the location holds 1200 bytes, more than the 1000 of drift.render.maxInputBytes');
    expect(fn).not.toHaveBeenCalled();
  });

  it.each(['../escape.yaml', 'a/../../escape.yaml', '/etc/passwd', 'a//b.yaml', './a.yaml', 'a\\..\\b'])(
    'refuses the unsafe path %s',
    async unsafe => {
      const fn = jest.fn();
      await expect(withMaterializedTree([file(unsafe)], 1024, fn)).rejects.toThrow(
        'the fetched tree holds a file with an unsafe path',
      );
      expect(fn).not.toHaveBeenCalled();
    },
  );
});
