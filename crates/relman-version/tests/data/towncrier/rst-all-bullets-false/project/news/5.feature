- multi
  line bullet
