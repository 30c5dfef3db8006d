Named for a ticket.
