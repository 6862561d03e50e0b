import { describe, expect, it } from 'vitest';
import { pageLinks, relativeHref } from './links.js';

describe('links between a walk-forward\'s pages', () => {
  it('are relative to the page, each path segment URL-encoded, so they work from file:// wherever the workspace is', () => {
    expect(relativeHref('/w/my run/report.html', '/w/my run/folds/fold_2/report.html')).toBe('folds/fold_2/report.html');
    expect(relativeHref('/w/my run/folds/fold_2/report.html', '/w/my run/report.html')).toBe('../../report.html');
    expect(relativeHref('/out/top.html', '/w/my run#1/folds/fold_0/report.html')).toBe('../w/my%20run%231/folds/fold_0/report.html');
  });

  it('are null for a page that is not written', () => {
    const links = pageLinks('/w/report.html', { folds: ['/w/folds/fold_0/report.html', null] });
    expect([links.foldPage(0), links.foldPage(1), links.foldPage(5), links.topPage]).toEqual(['folds/fold_0/report.html', null, null, null]);
    expect(pageLinks('/w/folds/fold_1/report.html', { top: '/w/report.html' }).topPage).toBe('../../report.html');
  });
});
