//! (to be filled) imports pages and API.

use crate::ApiRouter;

pub fn router() -> ApiRouter {
    ApiRouter::new()
}
