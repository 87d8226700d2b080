mod condition;
mod predict;
mod window;
