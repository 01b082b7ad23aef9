namespace Lantern.Server.Platform.Ui;

/// <summary>A link in the header navigation. Each module registers its own, so the menu shows only modules that exist.</summary>
public sealed record NavigationItem(string Text, string Href, int Order);
