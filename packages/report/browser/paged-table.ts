import { h } from './dom.js';

export interface Column {
  label: string;
  /** what sorting compares; null sorts last */
  value(row: number): number | string | null;
  text(row: number): string;
  numeric?: boolean;
  /** the full value, as a tooltip */
  title?(row: number): string;
  /** long text that may wrap (other cells keep to one line) */
  wrap?: boolean;
}

/**
 * A table over columnar data too long for the DOM: one page of rows at a time, sorted by any
 * column (click its header; again to reverse) through a permutation of row indices, so 100,000
 * trades sort in milliseconds and only a page is ever built.
 */
export function pagedTable(name: string, rows: number, columns: Column[], pageSize = 25): HTMLElement {
  let order = Array.from({ length: rows }, (_, i) => i);
  let page = 0;
  let sortBy = -1;
  let descending = false;
  const pages = () => Math.max(1, Math.ceil(rows / pageSize));
  const headers = columns.map((c, k) =>
    h('th', { class: c.numeric ? 'num sortable' : 'sortable', 'aria-sort': 'none', onclick: () => sort(k) }, c.label),
  );
  const body = h('tbody');
  const status = h('span', { class: 'pager-status' });
  const button = (label: string, title: string, to: () => number) => h('button', { type: 'button', title, onclick: () => show(to()) }, label);
  const pager = h(
    'div',
    { class: 'pager' },
    button('«', 'first page', () => 0),
    button('‹', 'previous page', () => page - 1),
    status,
    button('›', 'next page', () => page + 1),
    button('»', 'last page', () => pages() - 1),
  );

  function show(p: number): void {
    page = Math.min(Math.max(0, p), pages() - 1);
    const from = page * pageSize;
    const slice = order.slice(from, from + pageSize);
    body.replaceChildren(
      ...slice.map((r) => h('tr', {}, ...columns.map((c) => h('td', { class: c.numeric ? 'num' : c.wrap ? 'wrap' : 'nowrap', title: c.title?.(r) }, c.text(r))))),
    );
    status.textContent = rows ? `rows ${from + 1}–${from + slice.length} of ${rows.toLocaleString('en-US')} · page ${page + 1} of ${pages()}` : 'no rows';
  }

  function sort(k: number): void {
    descending = sortBy === k ? !descending : false;
    sortBy = k;
    const col = columns[k]!;
    const keys = Array.from({ length: rows }, (_, r) => col.value(r));
    const sign = descending ? -1 : 1;
    order = Array.from({ length: rows }, (_, i) => i).sort((a, b) => {
      const x = keys[a]!;
      const y = keys[b]!;
      if (x === null || y === null) return x === y ? a - b : x === null ? 1 : -1;
      const c = x < y ? -1 : x > y ? 1 : 0;
      return c !== 0 ? sign * c : a - b;
    });
    headers.forEach((th, i) => th.setAttribute('aria-sort', i === k ? (descending ? 'descending' : 'ascending') : 'none'));
    show(0);
  }

  show(0);
  return h('div', { class: 'paged-table', 'data-table': name, 'data-rows': rows }, h('table', {}, h('thead', {}, h('tr', {}, ...headers)), body), pager);
}
