import { formatMetric } from '../src/format.js';

type Child = Node | string | number | null | undefined | false;
type Props = Record<string, string | number | boolean | undefined | ((e: Event) => void)>;

/** A DOM element: attributes (`on*` functions become listeners) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

export function append(el: Element, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
}

/** A table cell with a number as the page formats it; the file's full value is its tooltip and data-value. */
export function numberCell(metric: string, x: number | null | undefined, tag: 'td' | 'th' = 'td'): HTMLTableCellElement {
  return h(tag, { class: 'num', title: x === null || x === undefined ? undefined : String(x), 'data-value': x === null || x === undefined ? undefined : String(x) }, formatMetric(metric, x));
}

/** A chart or table with its one-line caption. */
export function figure(caption: string, ...body: Child[]): HTMLElement {
  return h('figure', {}, ...body, h('figcaption', {}, caption));
}

export function table(attrs: Props, header: Child[], rows: HTMLTableRowElement[]): HTMLTableElement {
  return h('table', attrs, h('thead', {}, h('tr', {}, ...header.map((c) => (c instanceof HTMLTableCellElement ? c : h('th', {}, c))))), h('tbody', {}, ...rows));
}

/** Radio buttons; calls `onChange` with the chosen value. */
export function choice(name: string, label: string, options: Array<[value: string, text: string]>, selected: string, onChange: (v: string) => void): HTMLElement {
  return h(
    'fieldset',
    { class: 'choice', 'data-choice': name },
    h('legend', {}, label),
    ...options.map(([value, text]) =>
      h('label', {}, h('input', { type: 'radio', name, value, checked: value === selected, onchange: () => onChange(value) }), ' ', text),
    ),
  );
}

/** A <select>; calls `onChange` with the chosen value. */
export function select(name: string, label: string, options: Array<[value: string, text: string]>, selected: string, onChange: (v: string) => void): HTMLElement {
  const s = h('select', { name, 'data-select': name, onchange: (e: Event) => onChange((e.target as HTMLSelectElement).value) }, ...options.map(([value, text]) => h('option', { value, selected: value === selected }, text)));
  return h('label', { class: 'select' }, label, ' ', s);
}
