//! (to be filled) network pages and API.

use crate::ApiRouter;

pub fn router() -> ApiRouter {
    ApiRouter::new()
}
