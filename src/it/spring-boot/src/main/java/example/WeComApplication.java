package example;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

import io.github.wecomcallback.servlet.WeComCallbackFilter;

@SpringBootApplication
@EnableConfigurationProperties(WeComApplication.WeComProperties.class)
public class WeComApplication {
    public static void main(String[] args) {
        SpringApplication.run(WeComApplication.class, args);
    }

    /** {@code wecom.path} and {@code wecom.init-params.*} from application.yml or the environment. */
    @ConfigurationProperties("wecom")
    public record WeComProperties(String path, Map<String, String> initParams) {
    }

    /**
     * The filter in front of the callback path, first of all filters: it verifies and decrypts before anything
     * else reads the request, and encrypts what the controller answers. Its init-params are validated at start-up:
     * a wrong EncodingAESKey stops the application with a message that names it.
     */
    @Bean
    FilterRegistrationBean<WeComCallbackFilter> weComCallbackFilter(WeComProperties properties) {
        FilterRegistrationBean<WeComCallbackFilter> registration =
                new FilterRegistrationBean<>(new WeComCallbackFilter());
        registration.setName("wecom");
        registration.addUrlPatterns(properties.path());
        registration.setInitParameters(properties.initParams());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
