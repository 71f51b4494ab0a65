//! (to be filled) mapping pages and API.

use crate::ApiRouter;

pub fn router() -> ApiRouter {
    ApiRouter::new()
}
