package dev.virtualqueue.auth;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.EncodeHintType;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.ReaderException;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * QR codes as PNG data URIs ({@code data:image/png;base64,...}), encoded by ZXing: black modules on
 * white with the four-module quiet zone, each module {@value #MODULE_PIXELS} pixels. Every symbol is
 * read back with ZXing's own camera-style reader before it is handed out: for about one clean symbol
 * in twenty at level M, the mask the encoder picks leaves shapes the reader's finder-pattern search
 * trips on, and such a symbol is encoded again with the next mask until one reads. CPU and memory
 * only (no file cache); a few milliseconds, so callers run it on a worker.
 */
final class QrCodes {
  static final int MODULE_PIXELS = 6;
  private static final int BLACK = 0xFF000000;
  private static final int WHITE = 0xFFFFFFFF;
  private static final int MASKS = 8;

  private QrCodes() {
  }

  /** The PNG data URI of a QR code holding {@code text}. */
  static String pngDataUri(String text) {
    BitMatrix modules = encode(text, -1);
    for (int mask = 0; mask < MASKS && !readsBack(modules, text); mask++) {
      modules = encode(text, mask);
    }
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(png(modules));
  }

  /** The modules of {@code text}; {@code mask} -1 lets the encoder pick by its penalty rules. */
  private static BitMatrix encode(String text, int mask) {
    Map<EncodeHintType, Object> hints = new HashMap<>();
    hints.put(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M);
    hints.put(EncodeHintType.MARGIN, 4);
    if (mask >= 0) {
      hints.put(EncodeHintType.QR_MASK_PATTERN, mask);
    }
    try {
      return new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, hints);
    } catch (WriterException e) {
      throw new IllegalArgumentException("text does not fit a QR code", e);
    }
  }

  private static boolean readsBack(BitMatrix modules, String text) {
    int side = modules.getWidth() * MODULE_PIXELS;
    int[] pixels = new int[side * side];
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        pixels[y * side + x] = modules.get(x / MODULE_PIXELS, y / MODULE_PIXELS) ? BLACK : WHITE;
      }
    }
    try {
      BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(side, side, pixels)));
      return text.equals(new QRCodeReader().decode(bitmap, Map.of(DecodeHintType.TRY_HARDER, Boolean.TRUE)).getText());
    } catch (ReaderException e) {
      return false;
    }
  }

  private static byte[] png(BitMatrix modules) {
    int side = modules.getWidth() * MODULE_PIXELS;
    BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        image.setRGB(x, y, modules.get(x / MODULE_PIXELS, y / MODULE_PIXELS) ? BLACK : WHITE);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.setUseCache(false);
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
