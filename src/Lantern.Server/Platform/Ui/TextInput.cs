namespace Lantern.Server.Platform.Ui;

/// <summary>
/// An NHS text input with label, hint and error message. <see cref="Name"/> is both the form field name
/// and the element id, so the error summary can link to it.
/// </summary>
public sealed record TextInput(string Name, string Label, string? Value = null, string Type = "text",
    string? Hint = null, string? Autocomplete = null, string? Width = null, bool Spellcheck = false);
