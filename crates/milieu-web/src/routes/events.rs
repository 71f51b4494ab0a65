//! (to be filled) events pages and API.

use crate::ApiRouter;

pub fn router() -> ApiRouter {
    ApiRouter::new()
}
