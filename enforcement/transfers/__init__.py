"""Reserved for the transfers sub-domain (issue 11); empty until it arrives."""
