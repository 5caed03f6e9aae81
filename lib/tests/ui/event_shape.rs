// Only structs with named fields, without type parameters, are events.

#[derive(cdpspec::Event)]
#[event(name = "Plan Changed")]
enum PlanChanged {
    Upgraded,
    Downgraded,
}

#[derive(cdpspec::Event)]
#[event(name = "Course Enrolled")]
struct Tuple(String, String);

#[derive(cdpspec::Event)]
#[event(name = "Logged Out")]
struct Unit;

#[derive(cdpspec::Event)]
#[event(name = "Item Viewed")]
struct Generic<T> {
    item: T,
}

fn main() {}
