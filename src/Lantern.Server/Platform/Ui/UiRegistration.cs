namespace Lantern.Server.Platform.Ui;

public static class UiRegistration
{
    /// <summary>
    /// Razor Pages rooted at the project folder, so each module keeps its pages beside its domain code
    /// (Organisation/Pages, Account/...) and declares its own route with an absolute @page template.
    /// </summary>
    public static IServiceCollection AddLanternUi(this IServiceCollection services)
    {
        services.AddRazorPages(options => options.RootDirectory = "/");
        services.AddHttpContextAccessor();
        services.AddSingleton(new NavigationItem("Home", "/", 0));
        return services;
    }

    public static IServiceCollection AddNavigation(this IServiceCollection services, string text, string href, int order, Security.Activity? activity = null) =>
        services.AddSingleton(new NavigationItem(text, href, order, activity));
}
