// Two variants of a plan may be versions of one event, but not the same version.

#[derive(serde::Serialize, schemars::JsonSchema, cdpspec::Event)]
#[event(name = "Course Enrolled")]
struct CourseEnrolled {
    class_name: String,
}

#[derive(serde::Serialize, schemars::JsonSchema, cdpspec::Event)]
#[event(name = "Course Enrolled", version = 2)]
struct CourseEnrolledV2 {
    class_name: String,
    class_code: String,
}

/// Forgot `version = 3`.
#[derive(serde::Serialize, schemars::JsonSchema, cdpspec::Event)]
#[event(name = "Course Enrolled", version = 2)]
struct CourseEnrolledV3 {
    class_name: String,
    class_code: String,
    referrer: String,
}

#[derive(cdpspec::TrackingPlan)]
#[plan(name = "Courses app")]
enum Courses {
    Enrolled(CourseEnrolled),
    EnrolledV2(CourseEnrolledV2),
    EnrolledV3(CourseEnrolledV3),
}

fn main() {}
