import io.trino.sql.parser.SqlParser;
import io.trino.sql.tree.DefaultTraversalVisitor;
import io.trino.sql.tree.DereferenceExpression;
import io.trino.sql.tree.Identifier;
import io.trino.sql.tree.Statement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

/**
 * Parses each SQL file given with Trino's SqlParser and prints, per file, "OK" and every column reference
 * (identifiers and dereference chains such as useridentity.sessioncontext.attributes.mfaauthenticated), one per
 * line, or "ERROR <message>". Files ending in .type hold one Trino type per line, parsed with createType.
 */
public class TrinoParse {
  public static void main(String[] args) throws Exception {
    SqlParser parser = new SqlParser();
    for (String file : args) {
      String text = Files.readString(Path.of(file));
      System.out.println("FILE " + file);
      try {
        if (file.endsWith(".type")) {
          for (String line : text.split("\n")) if (!line.isBlank()) parser.createType(line);
          System.out.println("OK");
          continue;
        }
        Statement statement = parser.createStatement(text);
        TreeSet<String> references = new TreeSet<>();
        new DefaultTraversalVisitor<Void>() {
          @Override
          protected Void visitDereferenceExpression(DereferenceExpression node, Void context) {
            String chain = chain(node);
            if (chain != null) { references.add(chain); return null; }
            return super.visitDereferenceExpression(node, context);
          }
          @Override
          protected Void visitIdentifier(Identifier node, Void context) {
            references.add(node.getValue().toLowerCase());
            return null;
          }
        }.process(statement, null);
        System.out.println("OK");
        for (String r : references) System.out.println("REF " + r);
      } catch (Exception e) {
        System.out.println("ERROR " + e.getMessage().replace('\n', ' '));
      }
    }
  }

  private static String chain(io.trino.sql.tree.Expression e) {
    if (e instanceof Identifier id) return id.getValue().toLowerCase();
    if (e instanceof DereferenceExpression d && d.getField().isPresent()) {
      String base = chain(d.getBase());
      return base == null ? null : base + "." + d.getField().get().getValue().toLowerCase();
    }
    return null;
  }
}
