mod ical;
mod parlgov;
mod schema;
mod status;
