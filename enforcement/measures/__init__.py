"""Reserved for the measures sub-domain (issue 11); empty until it arrives."""
