//! `milieu topic ...`: the registry verbs for topic requests, plus `vote`, which casts one
//! organisation's vote through the same use case as the web ([`milieu_app::topics::vote`]).

use crate::registry;
use milieu_app::AppError;
use milieu_model::{EntityKind, OrgId};
use milieu_store::AnyStore;

#[derive(clap::Subcommand, Debug)]
pub enum TopicAction {
    #[command(flatten)]
    Record(registry::Action),
    /// Vote for a topic request on behalf of an organisation (one vote per organisation; the
    /// proposer's vote is implied; a second vote is refused with exit code 2).
    Vote {
        topic_id: String,
        /// The voting organisation's id.
        #[arg(long)]
        org: String,
    },
}

pub async fn run(store: &AnyStore, action: TopicAction) -> Result<(), AppError> {
    match action {
        TopicAction::Record(action) => registry::run(store, EntityKind::TopicRequest, action).await,
        TopicAction::Vote { topic_id, org } => {
            let votes =
                milieu_app::topics::vote(store, &OrgId::new(org.clone()), &topic_id).await?;
            println!("{org} voted for topic request {topic_id}: {votes} vote(s)");
            Ok(())
        }
    }
}
