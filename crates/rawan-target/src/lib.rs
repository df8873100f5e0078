//! Which villages to foster next: the coverage gap turned into a budgeted, capacity-aware
//! list ([`greedy`]), each village assigned to the nearest immigration office that can still
//! take it, with a one-line reason in the users' language ([`reason`]).

pub mod greedy;
pub mod reason;

pub use greedy::{Recommendation, TargetOffice, Targeting, TargetingProblem, recommend};
