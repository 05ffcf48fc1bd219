"""The outputs: each module renders the one content model into one kind of output."""
