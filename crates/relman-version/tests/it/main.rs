mod changelog;
mod files;
