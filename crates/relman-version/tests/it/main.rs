mod changelog;
mod files;
mod towncrier;
