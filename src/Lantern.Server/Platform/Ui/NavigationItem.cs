namespace Lantern.Server.Platform.Ui;

/// <summary>A link in the header navigation. Each module registers its own, so the menu shows only modules that exist,
/// and only to staff whose role grants the module's activity.</summary>
public sealed record NavigationItem(string Text, string Href, int Order, Security.Activity? Activity = null);
