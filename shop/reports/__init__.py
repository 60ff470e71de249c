"""Reports: a cooperative's sales and commission, and the programme's impact figures."""
