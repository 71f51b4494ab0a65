//! (to be filled) matches pages and API.

use crate::ApiRouter;

pub fn router() -> ApiRouter {
    ApiRouter::new()
}
