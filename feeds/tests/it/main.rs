mod ical;
mod parlgov;
mod schema;
mod status;
mod term_file;
