// The event name is required and not blank.

#[derive(cdpspec::Event)]
struct NoAttribute {
    class_name: String,
}

#[derive(cdpspec::Event)]
#[event(version = 2)]
struct NoName {
    class_name: String,
}

#[derive(cdpspec::Event)]
#[event(name = "")]
struct EmptyName {
    class_name: String,
}

#[derive(cdpspec::Event)]
#[event(name = "   ")]
struct BlankName {
    class_name: String,
}

fn main() {}
