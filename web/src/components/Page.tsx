import type { ComponentChildren } from 'preact';

/**
 * A console page: a section named by its heading. The heading is `#page-title`, which the router
 * focuses after each navigation, so a screen reader starts at the page's name.
 */
export function Page(props: { title: ComponentChildren; class?: string; children: ComponentChildren }) {
  return (
    <section aria-labelledby="page-title" class={props.class}>
      <h1 id="page-title" tabIndex={-1}>
        {props.title}
      </h1>
      {props.children}
    </section>
  );
}
