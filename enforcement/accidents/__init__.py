"""Reserved for the accidents sub-domain (issue 11); empty until it arrives."""
