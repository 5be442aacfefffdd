"""The AI that sells (issue 5): model access, automatic replies with autonomy, prompts, onboarding."""
