// A tracking plan is an enum of one-type variants, with a name.

#[derive(cdpspec::TrackingPlan)]
#[plan(name = "Courses app")]
struct NotAnEnum {
    events: Vec<String>,
}

#[derive(cdpspec::TrackingPlan)]
#[plan(version = "1.0.0", descripton = "What the courses app sends.")]
enum NoName {}

#[derive(cdpspec::TrackingPlan)]
#[plan(name = "Courses app")]
enum Shapes {
    Unit,
    Two(String, String),
    Named { event: String },
    #[plan(identify)]
    Person(String),
    #[plan(identify)]
    Visitor(String),
    #[plan(identfy)]
    Company(String),
}

fn main() {}
