"""The helpline banner: free, confidential help lines with call, text and chat links."""
