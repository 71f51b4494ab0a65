//! Topic requests: members ask the cluster to hold an event on a topic, and other members vote
//! for it. One vote per organisation, the proposer's own vote implied.
//!
//! A vote is one row written by [`milieu_store::Store::topic_vote_add`], whose primary key
//! refuses a second vote of the same organisation; so votes cast at once (by two web servers,
//! or the web and the command line) are all counted and none is counted twice, without any lock
//! held by a process. Topic requests carry no visibility of their own: every account sees them.

use crate::AppError;
use milieu_model::{OrgId, TopicRequest};
use milieu_store::{Store, StoreError};

/// The code of a second vote of one organisation for one topic.
pub const ALREADY_VOTED: milieu_model::Code = milieu_model::Code::new("app.already_voted", 409);

/// Organisations in favour of a topic: the proposer and every voter, each counted once.
pub fn vote_count(topic: &TopicRequest) -> usize {
    let mut orgs: Vec<&str> = topic.votes.iter().map(|o| o.as_str()).collect();
    orgs.push(topic.org.as_str());
    orgs.sort_unstable();
    orgs.dedup();
    orgs.len()
}

/// Whether `org` is in favour of the topic already (it proposed it or voted for it).
pub fn has_voted(topic: &TopicRequest, org: &OrgId) -> bool {
    &topic.org == org || topic.votes.contains(org)
}

/// Casts `voter`'s vote for topic request `topic_id` and returns the topic's votes after it.
/// A missing topic or organisation is `NotFound`; the proposer voting, or an organisation
/// voting twice, is [`ALREADY_VOTED`].
pub async fn vote<S: Store>(store: &S, voter: &OrgId, topic_id: &str) -> Result<usize, AppError> {
    let not_found = || AppError::NotFound {
        kind: "topic request",
        id: topic_id.to_string(),
    };
    let topic = store
        .get::<TopicRequest>(topic_id)
        .await?
        .ok_or_else(not_found)?;
    let already = || AppError::Conflict {
        code: ALREADY_VOTED,
        message: format!(
            "{voter} has already voted for topic request {topic_id} (or proposed it): one vote per organisation"
        ),
    };
    if has_voted(&topic, voter) {
        return Err(already());
    }
    match store.topic_vote_add(topic_id, voter.as_str()).await {
        Ok(()) => {}
        Err(StoreError::Duplicate { .. }) => return Err(already()),
        Err(StoreError::NotFound { kind, id }) => return Err(AppError::NotFound { kind, id }),
        Err(e) => return Err(e.into()),
    }
    // Read back, so that votes cast meanwhile by others count too.
    let after = store
        .get::<TopicRequest>(topic_id)
        .await?
        .ok_or_else(not_found)?;
    Ok(vote_count(&after))
}
