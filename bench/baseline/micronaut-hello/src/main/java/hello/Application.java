package hello;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.runtime.Micronaut;
import java.util.Map;

/** The bare Micronaut application the WEB start-up is compared with (bench/web.sh). */
@Controller
public class Application {
  public static void main(String[] args) {
    Micronaut.run(Application.class, args);
  }

  @Get("/__lbheartbeat__")
  public Map<String, String> lbheartbeat() {
    return Map.of();
  }
}
