mod changelog;
mod files;
mod properties;
mod rubygems;
mod towncrier;
mod versions;
mod workspace;
