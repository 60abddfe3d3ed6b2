// Placeholder for a screen whose data does not exist yet. It describes what
// the screen will show, so that an empty list does not look like a failure.

export function EmptyState(props: { title: string; body: string }) {
  return (
    <div class="empty-state">
      <p class="empty-state__title">{props.title}</p>
      <p class="empty-state__body">{props.body}</p>
    </div>
  );
}
