//! The console's live feed: server-sent events of the caller's organization only.

use std::convert::Infallible;

use axum::Router;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::get;
use ronda_domain::Permission;
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;
use tokio_stream::wrappers::{BroadcastStream, WatchStream};
use tokio_stream::{Stream, StreamExt};

use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody};
use crate::live::LiveEvent;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/live", get(live))
}

/// An item of the merged feed: an event to send, or the hub's closed flag.
enum FeedItem {
    Event(Result<LiveEvent, BroadcastStreamRecvError>),
    Closed(bool),
}

/// Streams what happens in the organization while the connection is open: `position`,
/// `visit.completed`, `checkin.rejected` and other events, each with its JSON data.
/// A `lagged` event carries how many events a slow connection missed. The stream ends
/// when the server shuts down.
#[utoipa::path(get, path = "/api/live", tag = "live",
    responses((status = 200, content_type = "text/event-stream", description = "Server-sent events"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn live(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    principal.require(Permission::ReadOrganization)?;
    let org = principal.organization_id;
    let events = BroadcastStream::new(state.live().subscribe()).map(FeedItem::Event);
    let closed = WatchStream::new(state.live().closed()).map(FeedItem::Closed);
    let feed = events
        .merge(closed)
        .take_while(|item| !matches!(item, FeedItem::Closed(true)))
        .filter_map(move |item| match item {
            FeedItem::Event(Ok(event)) if event.organization_id == org => {
                let data = serde_json::to_string(&event.data).unwrap_or_else(|_| "null".into());
                Some(Ok(Event::default().event(event.kind).data(data)))
            }
            FeedItem::Event(Err(BroadcastStreamRecvError::Lagged(missed))) => {
                Some(Ok(Event::default()
                    .event("lagged")
                    .data(missed.to_string())))
            }
            FeedItem::Event(Ok(_)) | FeedItem::Closed(_) => None,
        });
    Ok(Sse::new(feed).keep_alive(KeepAlive::default()))
}
