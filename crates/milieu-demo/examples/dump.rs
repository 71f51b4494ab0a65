//! Prints the whole generated dataset as JSON: `cargo run -p milieu-demo --example dump -- 300`.

use milieu_demo::{DemoOptions, generate};
fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(300);
    let ds = generate(&DemoOptions::new(42, n));
    println!("{}", serde_json::to_string_pretty(&ds).unwrap());
}
