import type { ComponentChildren } from 'preact';

/**
 * A table of the console: it scrolls sideways on a narrow screen (and takes the keyboard focus
 * to do so), has a caption for screen readers, and a heading per column. Rows are the children.
 */
export function DataTable(props: {
  /** Headings; false for a column this reader does not see. */
  columns: readonly (ComponentChildren | false)[];
  caption?: ComponentChildren;
  /** Shown only to screen readers, where the page's heading already says it. */
  captionHidden?: boolean;
  /** `wrap`: the table wraps its cells instead of scrolling. */
  layout?: 'scroll' | 'wrap';
  testId?: string;
  children: ComponentChildren;
}) {
  const table = (
    <table data-testid={props.testId}>
      {props.caption !== undefined && <caption class={props.captionHidden ? 'visually-hidden' : undefined}>{props.caption}</caption>}
      <thead>
        <tr>
          {props.columns.map((c, i) =>
            c === false ? null : (
              <th scope="col" key={i}>
                {c}
              </th>
            ),
          )}
        </tr>
      </thead>
      <tbody>{props.children}</tbody>
    </table>
  );
  return props.layout === 'wrap' ? (
    <div class="table-wrap">{table}</div>
  ) : (
    <div class="table-scroll" tabIndex={0}>
      {table}
    </div>
  );
}
