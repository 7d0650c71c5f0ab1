//! Notice latency bench (being written).
fn main() {}
