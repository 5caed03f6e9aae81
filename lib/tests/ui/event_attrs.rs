// Bad values and keys in #[event(...)], all reported in one compile.

#[derive(cdpspec::Event)]
#[event(name = "Course Enrolled", version = 0)]
struct VersionZero {
    class_name: String,
}

#[derive(cdpspec::Event)]
#[event(name = "Course Enrolled", version = "2")]
struct VersionString {
    class_name: String,
}

#[derive(cdpspec::Event)]
#[event(nmae = "Course Enrolled", owner = "growth", colour = "red")]
struct UnknownKeys {
    class_name: String,
}

#[derive(cdpspec::Event)]
#[event(name = "Course Enrolled", name = "Course Started", label(team = "growth", team = "learning"))]
struct Duplicates {
    class_name: String,
}

fn main() {}
