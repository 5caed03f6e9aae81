// Field types that cannot be event properties, wherever they are nested.

#[derive(cdpspec::Event)]
#[event(name = "Order Completed")]
struct OrderCompleted {
    order: *const u8,
    on_done: fn(u32) -> bool,
    label: Box<dyn std::fmt::Display>,
    products: Vec<(String, f64)>,
    nothing: Option<()>,
    #[event(name = "order_id")]
    order_id: String,
}

// Fields serde skips are not checked.
#[derive(serde::Serialize, schemars::JsonSchema, cdpspec::Event)]
#[event(name = "Order Viewed")]
struct OrderViewed {
    order_id: String,
    #[serde(skip)]
    cache: *const u8,
}

fn main() {}
