"""The cart: what a visitor or a buyer means to buy, across many producers."""
