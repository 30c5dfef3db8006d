mod changelog;
