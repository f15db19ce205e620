namespace Ose;

/// <summary>
/// A mistake in what the user gave us (bad flag, missing file, malformed config).
/// The CLI prints its message as one line and exits with code 2; any other exception is a bug.
/// </summary>
public sealed class UserInputException(string message, Exception? inner = null) : Exception(message, inner);
